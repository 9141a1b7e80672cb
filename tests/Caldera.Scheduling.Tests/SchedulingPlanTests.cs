using Caldera.Scheduling.Planning;

namespace Caldera.Scheduling.Tests;

public sealed class SchedulingPlanTests
{
    [Fact]
    public void A_plan_that_is_not_scheduling_sends_nothing_and_keeps_the_tag()
    {
        Assert.Equal(SchedulingRole.None, SchedulingPlan.NotScheduling.Role);
        Assert.Empty(SchedulingPlan.NotScheduling.Messages);
        Assert.False(SchedulingPlan.NotScheduling.ScheduleTagChanges);
        Assert.Null(SchedulingPlan.NotScheduling.StoredText);
    }
}
