"""The markdown table every benchmark prints, so its figures paste into an issue note as they are."""


def table(rows: list[tuple[str, ...]], header: tuple[str, ...] = ("measure", "value")) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(f"{cell:<{w}}" for cell, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(f"{str(cell):<{w}}" for cell, w in zip(row, widths)) + " |")
