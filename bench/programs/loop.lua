local function run(n)
  local total = 0.0
  for i = 0, n - 1 do
    local x = i + 0.0
    total = total + x * 0.5 - 1.0
  end
  return total
end
print(run(1000000))
