"""The component framework: participation tools placed in spaces.

Each tool is an app under ``civitas/components/<name>/`` that registers a manifest in
its ``AppConfig.ready``; nothing in the core knows the tools by name.
"""
