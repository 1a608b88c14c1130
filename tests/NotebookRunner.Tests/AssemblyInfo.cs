// Console, the kernel formatter's registrations and the working directory are process-wide, and
// the runner sets all three while a notebook runs: test classes must not run notebooks at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
