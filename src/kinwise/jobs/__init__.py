"""Background jobs on a queue (docs/adr/0040-job-queue.md): the queue, the jobs, the schedule."""
