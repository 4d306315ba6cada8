"""The media archive's admin (素材库): one module per page.

``browse`` (search, filters, facets, bulk edit), ``upload``, ``asset``
(preview, catalogue, suggested keywords, uses), ``files`` (every original
and rendition, behind the permission check), ``events`` (the event pages),
``chooser`` (the story editor's asset chooser). ``urls`` lists them."""
