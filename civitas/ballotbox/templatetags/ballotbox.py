from django import template

register = template.Library()


@register.filter
def grouped(value: str, size: int = 4) -> str:
    """A fingerprint or seal in groups of ``size`` characters, easy to compare by eye."""
    value = value or ""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


@register.filter
def trustee_fingerprint(trustee: dict) -> str:
    """The start of a trustee's public line, for them to recognise it as theirs; '' before they registered."""
    from civitas.ballotbox.crypto import encode_share

    public = trustee.get("public_key") if isinstance(trustee, dict) else ""
    return encode_share(bytes.fromhex(public))[:19] if public else ""
