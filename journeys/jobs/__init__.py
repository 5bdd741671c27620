"""Background jobs: what a worker makes for a journey, one module per kind of job.

    base       enqueue on commit (by task name; with the broker away the row stays queued and
               the reaper sends it later), retry, store by content hash, reuse an equal twin,
               make a row ready now
    diagrams   a stage's diagram: find or queue it, draw it
    estimates  a stage's cost estimate: find or queue it, price it
    exports    a journey's roadmap PDF: ask for it, make it (with its diagrams and estimates)

`journeys.tasks` is the thin Celery interface over these plain functions; nothing here imports
it (tasks are sent by name), so the dependency runs one way: tasks -> jobs -> models, pricing,
drawing, roadmap.
"""
