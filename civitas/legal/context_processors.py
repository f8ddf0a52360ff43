def help_pages(request):
    """Whether the footer links to the help pages: cached with the organization's other facts."""
    from civitas.legal.services import site_facts

    organization = getattr(request, "organization", None)
    return {"has_help_pages": organization is not None and site_facts(organization)["help"]}
