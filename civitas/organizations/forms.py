import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civitas.organizations.hosts import is_valid_host, normalize_host
from civitas.organizations.models import LOCALE_CHOICES, Organization, SecondaryHost


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return False


class DomainListField(forms.CharField):
    """One domain per line in a textarea, a list of normalised domains in Python."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [normalize_host(line) for line in (value or "").splitlines() if line.strip()]
        bad = [line for line in lines if not is_valid_host(line)]
        if bad:
            raise forms.ValidationError(
                _("Not a valid domain: %(domains)s."), params={"domains": ", ".join(bad)}
            )
        return sorted(set(lines))


MAP_FIELDS = ["map_tiles", "map_attribution", "map_attribution_url", "geocoder", "geocoder_url"]


class OrganizationSettingsForm(forms.ModelForm):
    """What an organization's own admins may change."""

    available_locales = forms.MultipleChoiceField(
        label=_("Available languages"), choices=LOCALE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    map_attribution_url = forms.URLField(
        label=_("Address of the map's licence"), max_length=500, required=False, assume_scheme="https"
    )
    geocoder_url = forms.URLField(
        label=_("Address search server"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Organization._meta.get_field("geocoder_url").help_text,
    )
    external_domain_allowlist = DomainListField(
        label=_("Trusted external domains"),
        required=False,
        help_text=_("One per line. Links to these domains skip the outbound-link warning page."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "default_locale",
            "available_locales",
            "logo",
            "primary_colour",
            "secondary_colour",
            "contact_email",
            "signup_open",
            "external_domain_allowlist",
            "report_threshold",
            "require_admin_two_factor",
            *MAP_FIELDS,
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "secondary_colour": forms.TextInput(attrs={"type": "color"}),
        }
        labels = {"report_threshold": _("Weight of reports that hides a contribution")}

    def __init__(self, *args, **kwargs):
        from civitas.moderation import standing

        super().__init__(*args, **kwargs)
        self.fields["report_threshold"].required = False
        # Left empty: kept as they are (OpenStreetMap's and the Base Adresse Nationale for a new
        # organization); the attribution is never blank, as the tiles' licence requires.
        for name in ("map_tiles", "map_attribution", "geocoder"):
            self.fields[name].required = False
        self.fields["report_threshold"].help_text = gettext(
            "Reports are weighed by the reporter's standing: 1 for an account older than "
            "%(days)s days with no report judged yet, down to %(new)s for an account created "
            "today, more when moderators upheld the reporter's past reports, less when they "
            "dismissed them. Moderators are notified of the first report at once."
        ) % {
            "days": standing.FULL_WEIGHT_AFTER_DAYS,
            "new": formats.number_format(standing.NEW_ACCOUNT_FACTOR),
        }

    def general_fields(self):
        return [field for field in self.visible_fields() if field.name not in MAP_FIELDS]

    def map_fields(self):
        return [field for field in self.visible_fields() if field.name in MAP_FIELDS]

    def clean_geocoder_url(self):
        from django.conf import settings

        url = self.cleaned_data["geocoder_url"].strip()
        host = (urlsplit(url).hostname or "").lower()
        if url and not settings.CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES and _is_local(host):
            raise forms.ValidationError(_("This server is on a private network: give a public address."))
        return url

    def _kept_if_empty(self, name: str):
        value = self.cleaned_data.get(name)
        return value if value else getattr(self.instance, name)

    def clean_map_tiles(self):
        return self._kept_if_empty("map_tiles")

    def clean_map_attribution(self):
        return self._kept_if_empty("map_attribution").strip() or self.instance.map_attribution

    def clean_geocoder(self):
        return self._kept_if_empty("geocoder")

    def clean_report_threshold(self):
        # Left empty: keep the current value (3 for a new organization).
        value = self.cleaned_data.get("report_threshold")
        return value if value is not None else self.instance.report_threshold


class SystemOrganizationForm(OrganizationSettingsForm):
    """The system admin also sets where the organization lives."""

    secondary_hosts = DomainListField(
        label=_("Secondary hosts"),
        required=False,
        help_text=_("One per line. Visitors on these hosts are redirected to the main host."),
    )

    class Meta(OrganizationSettingsForm.Meta):
        fields = ["host", "parent", *OrganizationSettingsForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organizations that are not communes themselves can be parents (one level).
        parents = Organization.objects.filter(parent__isnull=True).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        if self.instance.pk:
            self.initial["secondary_hosts"] = list(
                self.instance.secondary_hosts.values_list("host", flat=True)
            )

    def clean_secondary_hosts(self):
        hosts = self.cleaned_data["secondary_hosts"]
        taken = set(Organization.objects.filter(host__in=hosts).values_list("host", flat=True))
        taken |= set(
            SecondaryHost.objects.filter(host__in=hosts)
            .exclude(organization_id=self.instance.pk)
            .values_list("host", flat=True)
        )
        if self.cleaned_data.get("host") in hosts:
            taken.add(self.cleaned_data["host"])
        if taken:
            raise forms.ValidationError(
                _("Already in use: %(hosts)s."), params={"hosts": ", ".join(sorted(taken))}
            )
        return hosts

    def save(self, commit=True):
        organization = super().save(commit=commit)
        if commit:
            hosts = self.cleaned_data["secondary_hosts"]
            organization.secondary_hosts.exclude(host__in=hosts).delete()
            for host in hosts:
                SecondaryHost.objects.get_or_create(organization=organization, host=host)
        return organization


class NewOrganizationForm(SystemOrganizationForm):
    admin_email = forms.EmailField(
        label=_("First admin's e-mail address"), help_text=_("They receive a link to choose their password.")
    )
    admin_name = forms.CharField(label=_("First admin's name"), max_length=150)
