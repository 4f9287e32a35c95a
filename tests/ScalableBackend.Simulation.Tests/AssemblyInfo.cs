// The capacity and prod tests drive CDK's one Node.js process (jsii) and set process-wide variables; the speed test
// reads the process's CPU time: run the test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
