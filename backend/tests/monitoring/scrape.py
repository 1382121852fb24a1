"""Reading what a `/metrics` answered: the Prometheus text format, parsed by the reference
client's own parser."""

from prometheus_client.parser import text_string_to_metric_families


def families(text: str) -> set[str]:
    """The metric families named (with or without samples), as Prometheus names them."""
    return {family.name for family in text_string_to_metric_families(text)}


def sample_names(text: str) -> set[str]:
    """Every series name, as PromQL refers to them (`_total`, `_bucket`, `_count` included),
    and every family name."""
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        if family.type == "counter":
            names.add(f"{family.name}_total")
        if family.type == "histogram":
            names.update(f"{family.name}{suffix}" for suffix in ("_bucket", "_count", "_sum"))
        names.update(sample.name for sample in family.samples)
    return names


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name` whose labels include `labels`; 0 when there is none (a counter no
    one has counted yet)."""
    found = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    ]
    assert len(found) <= 1, f"{name}{labels} matches {len(found)} samples"
    return found[0] if found else 0.0
