"""reform/rollup.py: weighted roll-up from sub-tasks to tasks, areas and the plan."""

from decimal import Decimal

from reform.rollup import Node, rollup, round_percent

D = Decimal


def test_leaf_progress_is_as_reported_and_accepted_counts_full():
    r = rollup([Node(1, None, "a", D(1), 40), Node(2, None, "a", D(1), 30, accepted=True)])
    assert r.tasks == {1: D(40), 2: D(100)}
    assert r.areas == {"a": D(70)}
    assert r.plan == D(70)


def test_parent_is_the_weighted_mean_of_its_children_not_its_own_figure():
    nodes = [Node(1, None, "a", D(2), 90),  # its own 90 % is ignored: it has sub-tasks
             Node(2, 1, "a", D(3), 100), Node(3, 1, "a", D(1), 20)]
    r = rollup(nodes)
    assert r.tasks[1] == D(80)  # (3×100 + 1×20) / 4
    assert r.areas["a"] == D(80)


def test_three_levels_and_two_areas_weighted_by_task_weights():
    nodes = [
        Node(1, None, "a", D(1), 0),
        Node(2, 1, "a", D(1), 50),
        Node(3, 1, "a", D(1), 0),
        Node(4, 3, "a", D(1), 100),
        Node(5, 3, "a", D(3), 0),  # task 3 = 25 %, task 1 = (50 + 25) / 2 = 37.5 %
        Node(6, None, "b", D(3), 60),
    ]
    r = rollup(nodes)
    assert r.tasks[3] == D(25)
    assert r.tasks[1] == D("37.5")
    assert r.areas == {"a": D("37.5"), "b": D(60)}
    # The plan: top-level tasks weighted 1 and 3: (37.5 + 180) / 4.
    assert r.plan == D("54.375")
    assert round_percent(r.plan) == D("54.4")


def test_an_empty_plan_and_zero_weights_give_zero_not_an_error():
    assert rollup([]).plan == D(0)
    assert rollup([Node(1, None, "a", D(0), 50)]).plan == D(0)


def test_progress_outside_0_100_is_clamped():
    r = rollup([Node(1, None, "a", D(1), 250)])
    assert r.tasks[1] == D(100)


def test_an_accepted_parent_is_complete_whatever_its_children_say():
    r = rollup([Node(1, None, "a", D(1), 0, accepted=True), Node(2, 1, "a", D(1), 10)])
    assert r.tasks[1] == D(100)
    assert r.tasks[2] == D(10)
