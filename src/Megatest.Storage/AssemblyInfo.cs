using System.Runtime.CompilerServices;

// NativeSqlite's bindings are blittable: with run-time marshalling off, the ReadyToRun build compiles their calls
// ahead of time instead of leaving a stub for the JIT to build at first call (issue #9).
[assembly: DisableRuntimeMarshalling]
