"""The static fact-check site: ``claimcheck publish DIR``.

Pure renderers over the Report DTO (:mod:`.render`, :mod:`.pages`, :mod:`.feeds`, jinja2
templates in ``templates/``, the site's own words from the gettext catalogue of
:mod:`claimcheck.i18n`) and a writer that puts the files in their folder (:mod:`.output`). The
database side — which claims are published, the stamp of the data — is
:mod:`claimcheck.services.publishing`.
"""

from __future__ import annotations

from claimcheck.export.site.options import SiteOptions
from claimcheck.export.site.output import MANIFEST, PublishStats, SiteFolder

# The renderer (jinja2, pydantic DTOs) is claimcheck.export.site.render, imported by whoever
# renders: an up-to-date publish never loads it.
__all__ = ["MANIFEST", "PublishStats", "SiteFolder", "SiteOptions"]
