"""What a page or paper open to anyone holding its link may show of a personal ID number."""


def id_number_masked(value: str) -> str:
    """The first and last three characters of an ID number, the rest as dots.

    Enough to compare with the paper in the holder's hand, not enough to use the number
    (Decree 13/2023, art. 2: the ID number is personal data; a link can be read by others).
    """
    value = value.strip()
    if len(value) <= 6:
        return "•••" if value else ""
    return value[:3] + "•" * (len(value) - 6) + value[-3:]
