from django import forms
from django.shortcuts import redirect, render

from civitas.components.pages.models import Page
from civitas.components.views import admin_component_view, public_component_view
from civitas.editor.widgets import RichTextWidget


@public_component_view("pages")
def page(request, space, component):
    page, _created = Page.objects.get_or_create(component=component)
    context = {
        "space": space,
        "component": component,
        "page": page,
        "settings": component.current_settings(),
        "phase_settings": component.active_phase_settings(),
    }
    return render(request, "pages/page.html", context)


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["body"]
        widgets = {"body": RichTextWidget(attrs={"rows": 16}, uploads=True)}


@admin_component_view("pages")
def edit_page(request, space, component):
    from civitas.components.services import do_save_resource

    page, _created = Page.objects.get_or_create(component=component)
    form = PageForm(request.POST if request.method == "POST" else None, instance=page)
    if request.method == "POST" and form.is_valid():
        do_save_resource(form=form, user=request.user, component=component, action="page.update")
        return redirect(request.path)
    return render(request, "pages/edit.html", {"space": space, "component": component, "form": form})
