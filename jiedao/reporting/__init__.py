"""Cross-app reporting: the dashboard and the annual report. Unlike the kernel at the top of
`jiedao/`, this package imports the feature apps (their selectors); nothing in an app imports it.

figures (the economy and other figures as selectors), charts (SVG charts), dashboard, annual
(the report's context, HTML and PDF), build (the PDF build the task runs), tasks (Celery),
services (requesting a build), views.
"""
