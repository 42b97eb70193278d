def build(n):
    xs = []
    for i in range(n):
        xs.append(i * 2)
    total = 0
    for x in xs:
        total += x
    return total
print(build(1000000))
