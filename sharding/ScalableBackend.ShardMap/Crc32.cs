namespace ScalableBackend.Sharding;

/// <summary>
/// CRC-32 as zlib, PNG and Ethernet compute it (IEEE 802.3, reflected polynomial <c>0xEDB88320</c>, initial value and
/// final XOR <c>0xFFFFFFFF</c>): <c>crc32("123456789") = 0xCBF43926</c>. Written here so the schema has no dependency.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
