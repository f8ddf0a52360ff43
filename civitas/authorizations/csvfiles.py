"""Reading the CSV files admins upload (census lists, addresses)."""

DELIMITERS = (";", ",", "\t")


def delimiter_of(text: str) -> str:
    """The separator most used on the first line: spreadsheets export ";" in France and ","
    elsewhere. (csv.Sniffer guesses wrong when lines have different numbers of cells, as
    they do when an optional last column is left empty.)"""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
