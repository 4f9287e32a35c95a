// Entry point is added with the CDK app and CLI (issue 2).
return 0;
