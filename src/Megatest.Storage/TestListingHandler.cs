namespace Megatest.Storage;

/// <summary>Receives one test of a <see cref="RawListing"/>; returns false to stop the listing as failed.</summary>
public delegate bool TestListingHandler(in TestListingText test);
