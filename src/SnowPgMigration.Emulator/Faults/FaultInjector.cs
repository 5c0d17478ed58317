namespace SnowPgMigration.Emulator.Faults;

/// <summary>
/// Decides, request by request, whether a fault fires. Each rule counts the requests it applies to,
/// so <c>every=3</c> hits the 3rd, 6th, ... matching request. Rules can be replaced at run time.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly Random _random;
    private List<RuleState> _rules = [];

    public FaultInjector(IEnumerable<FaultRule> rules, int? seed = null)
    {
        _random = seed is { } s ? new Random(s) : new Random();
        Replace(rules);
    }

    public void Replace(IEnumerable<FaultRule> rules)
    {
        lock (_gate)
        {
            _rules = rules.Select(r => new RuleState(r)).ToList();
        }
    }

    /// <summary>The rule that fires for this request, or null.</summary>
    public FaultRule? Decide(FaultTarget target)
    {
        lock (_gate)
        {
            foreach (var state in _rules)
            {
                var rule = state.Rule;
                if (rule.On != FaultTarget.Any && rule.On != target)
                {
                    continue;
                }

                state.Seen++;
                if (rule.Times is { } times && state.Injected >= times)
                {
                    continue;
                }

                var fires = (rule.Every, rule.Probability) switch
                {
                    (null, null) => true,
                    (var every, var p) => (every is { } n && state.Seen % n == 0) || (p is { } chance && _random.NextDouble() < chance),
                };
                if (fires)
                {
                    state.Injected++;
                    return rule;
                }
            }

            return null;
        }
    }

    /// <summary>Each rule with how many requests it saw and how many times it fired.</summary>
    public IReadOnlyList<(FaultRule Rule, long Seen, long Injected)> Describe()
    {
        lock (_gate)
        {
            return _rules.Select(s => (s.Rule, s.Seen, s.Injected)).ToArray();
        }
    }

    private sealed class RuleState(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public long Seen { get; set; }
        public long Injected { get; set; }
    }
}
