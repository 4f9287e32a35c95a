// These tests set process-wide environment variables and share one Node.js process: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
