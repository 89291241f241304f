// IntakeService: wiring of channels, pipeline and outbox worker.
