using Amazon.CDK;
using ScalableBackend.Examples.OrdersBackend;

// `dotnet run --project examples/OrdersBackend` synthesizes into cdk.out, offline (the zones are given, not looked up).
var app = new App();
_ = new OrdersBackendStack(app, "Orders-Example", "eu-west-1", ["eu-west-1a", "eu-west-1b"],
    "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000");
app.Synth();
