namespace Megatest.Config;

/// <summary>Which kind of config file is read; decides the export rules of SPEC §2.7/§2.8.</summary>
public enum ConfigKind
{
    /// <summary>No special sections.</summary>
    Generic,

    /// <summary>megatest.config: <c>[env-override]</c> exported, keys exported after <c>[fields]</c>.</summary>
    MegatestConfig,

    /// <summary>runconfigs.config: target sections, wildcards and regexes.</summary>
    RunConfigs,

    /// <summary>A testconfig: <c>[pre-launch-env-vars]</c> exported.</summary>
    TestConfig,
}
