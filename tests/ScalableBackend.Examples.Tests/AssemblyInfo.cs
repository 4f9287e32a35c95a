// CDK runs in one Node.js process per test assembly; parallel test classes only queue on it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
