namespace Megatest.Scheduling;

/// <summary>A run cannot be planned: bad target, unknown test, waiton cycle, config error. The message says which and where.</summary>
public sealed class PlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlanException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PlanException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public PlanException()
    {
    }
}
