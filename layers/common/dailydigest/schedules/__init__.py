"""Every topic of the topics parameter on its own EventBridge Scheduler schedule, and the watchdog
that notices a scheduled topic with no post: no fixed slots, nothing to redeploy.

`plan` decides (pure), `scheduler` applies through the Scheduler API, `parameter` reads the topics
parameter fresh, `watchdog` reads the run records.
"""
