"""The orchestration: one module per command, each stringing the stages
together over one :class:`~leafpress.pipeline.snapshot.Snapshot` of the
project.

Called by the CLI. In: a snapshot (the project read once) and what to do.
Out: report objects the CLI turns into output and an exit code. Nothing here
prints; progress goes to the ``leafpress`` logger.

- ``snapshot``: every leaflet, catalog and template read once, and what is
  decided from them (catalog checks, translation states, lint) decided once;
- ``targets``: what a run prints (leaflet x language x print variant);
- ``build``, ``check``, ``status``, ``lint``, ``report``, ``extract``,
  ``update`` (and ``init-locale``), ``importing`` (``import``), ``review``
  (and ``sign``), ``xliff``, ``memory``, ``deps``
  (the make rules): one command each;
- ``withdraw``: PDFs the current sources no longer make leave ``build/pdf/``.
"""
