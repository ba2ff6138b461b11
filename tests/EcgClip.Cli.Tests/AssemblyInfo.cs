// CLI tests run commands in-process and capture Console.Out/Console.Error, which are process-wide:
// run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
