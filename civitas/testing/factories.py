import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from civitas.organizations.models import Organization

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 (test accounts only)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Commune {n}")
    host = factory.Sequence(lambda n: f"commune-{n}.test")
    default_locale = "fr"
    available_locales = factory.LazyFunction(lambda: ["fr", "en"])
    contact_email = "contact@commune.test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    nickname = factory.Sequence(lambda n: f"person{n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    accepted_terms_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])
