using ScalableBackend.Infra;

// Node 20 prints an end-of-life banner on every jsii start; it is noise for this tool's users.
Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
// CDK 2.160's own step-scaling code touches a deprecated property; the warning is not actionable here.
Environment.SetEnvironmentVariable("JSII_DEPRECATED", Environment.GetEnvironmentVariable("JSII_DEPRECATED") ?? "quiet");
return Cli.Run(args);
