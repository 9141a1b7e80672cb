namespace Caldera.Storage.Sweeping;

/// <summary>What one sweeper run did.</summary>
/// <param name="Listed">Blobs looked at.</param>
/// <param name="Removed">Orphans deleted.</param>
/// <param name="Young">Unreferenced blobs kept because they are younger than the grace period (maybe a write in flight).</param>
/// <param name="Raced">Orphan candidates kept because the re-check found a reference or the blob changed since listed.</param>
/// <param name="Foreign">Blobs whose names Caldera does not make; never touched.</param>
/// <param name="Finished">True when the run reached the end of the container (the next run starts from the beginning).</param>
public sealed record SweepReport(int Listed, int Removed, int Young, int Raced, int Foreign, bool Finished);
