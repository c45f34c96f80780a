"""The local stack, on one machine with no AWS: what Lambda and AWS would do, emulated.

- `stack`: the whole stack (emulator, resources, API, poller, sweeper, seeds): `make run`;
- `emulator`, `moto_process`, `moto_patches/`: the moto server child process, serialised,
  with its speed patches (one per module, pinned to the tested moto versions) and its
  durable journal (`journal*`);
- `resources`: the table and queues of template.yaml, created on an endpoint;
- `poller`: the SQS event-source mapping, running the deployed handlers in-process, with
  `event_sources` (the template's SQS triggers), `sqs_event` (the event Lambda builds) and
  `lambda_runtime` (handler loading, the context object);
- `state`: the table and queued messages saved on a clean stop.

Nothing below this package imports it (`.importlinter`).
"""
