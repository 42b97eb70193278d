local function build(n)
  local xs = {}
  for i = 0, n - 1 do
    xs[#xs + 1] = i * 2
  end
  local total = 0
  for _, x in ipairs(xs) do total = total + x end
  return total
end
print(build(1000000))
