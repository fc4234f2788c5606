"""Settings: the project as ``leafpress.toml`` (and a clinic folder) say.

In: ``leafpress.toml``, and a clinic folder's ``clinic.toml`` and logo. Out:
a :class:`~leafpress.settings.project.Project`: its folders and every setting
checked (languages, paper, print variants, branding, lint and check rules,
emergency numbers), each problem at its line.

- ``project``: reads and checks the settings; where every file of the
  project is;
- ``review``: the review policy (``[review] require``);
- ``contacts``: the contact placeholders, departments and their opening
  hours, as each language writes them.
"""
