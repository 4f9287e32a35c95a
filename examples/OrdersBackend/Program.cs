using Amazon.CDK;
using ScalableBackend.Examples.OrdersBackend;

// `dotnet run --project examples/OrdersBackend` synthesizes offline (the zones are given, not looked up) into CDK_OUTDIR,
// or, when it is not set, into a new temporary folder; `npx cdk synth --app "dotnet run --project examples/OrdersBackend"`
// writes ./cdk.out.
var app = new App();
_ = new OrdersBackendStack(app, "Orders-Example", "eu-west-1", ["eu-west-1a", "eu-west-1b"],
    "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000");
app.Synth();
