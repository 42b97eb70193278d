def run(n):
    total = 0.0
    for i in range(n):
        x = float(i)
        total += x * 0.5 - 1.0
    return total
print(run(1000000))
