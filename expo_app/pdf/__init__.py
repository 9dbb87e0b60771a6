"""Shared reportlab building blocks for the programme, badges and agendas.

- `fonts`: DejaVu Sans (Turkish, French and other Latin letters), registered once.
- `styles`: colours, paragraph and table styles, page geometry.
- `i18n`: `pdf_language(lang)` so a PDF comes out in en or fr whatever the web page's
  language; dates, times, country names and kind labels in that language.
- `document`: `ExpoDocTemplate` (cover, one- and two-column pages, running header,
  page numbers), `Heading` (bookmark + outline + contents line), `contents()`.
- `flowables`: a hall's floor plan to scale, colour legends.
"""
