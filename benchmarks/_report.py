"""The markdown table every benchmark prints, so its figures paste into an issue note as they are."""


def table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | value   |\n|{'-' * (width + 2)}|---------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value:<7} |")
