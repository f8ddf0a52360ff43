"""Static files as production serves them: hashed names, compressed copies (whitenoise).

Front-end packages are vendored without their source maps (the platform serves none), but
their minified scripts still end with ``//# sourceMappingURL=….map``. Django's manifest
storage follows that comment and fails ``collectstatic`` on the missing map; here such a
comment is left as written (a browser asks for the map only when its developer tools are
open, and then gets a 404). Any other missing file still fails the collection.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if matchobj.group("url").split("?")[0].endswith(".map"):
                    return matchobj.group("matched")
                raise

        return converter
