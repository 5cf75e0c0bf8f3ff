"""A flame graph (SVG) drawn from collapsed stacks, as py-spy's raw format writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

WIDTH, ROW = 1200.0, 16
MIN_WIDTH = 0.5  # frames narrower than this many pixels are left out


@dataclass
class Node:
    name: str
    count: int = 0
    children: dict[str, Node] = field(default_factory=dict)


def parse(text: str) -> Node:
    """The tree of frames: each line is `outer;...;inner count`."""
    root = Node("all")
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        node = root
        node.count += int(count)
        for frame in stack.split(";"):
            node = node.children.setdefault(frame, Node(frame))
            node.count += int(count)
    return root


def _depth(node: Node) -> int:
    return 1 + max((_depth(child) for child in node.children.values()), default=0)


def render(root: Node, title: str) -> str:
    """The SVG: the root at the bottom, callees above their callers, widths by samples."""
    height = (_depth(root) + 2) * ROW
    scale = WIDTH / max(root.count, 1)
    rects: list[str] = []

    def draw(node: Node, x: float, level: int) -> None:
        width = node.count * scale
        if width < MIN_WIDTH:
            return
        y = height - (level + 1) * ROW
        hue = 20 + (hash(node.name) % 40)
        label = escape(node.name)
        share = 100 * node.count / max(root.count, 1)
        text = escape(node.name[: int(width / 7)]) if width > 21 else ""
        rects.append(
            f"<g><title>{label} ({node.count} samples, {share:.1f}%)</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW - 1}" fill="hsl({hue},90%,60%)"/>'
            f'<text x="{x + 3:.1f}" y="{y + ROW - 4}">{text}</text></g>'
        )
        offset = x
        for child in sorted(node.children.values(), key=lambda child: child.name):
            draw(child, offset, level + 1)
            offset += child.count * scale

    draw(root, 0.0, 0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" height="{height:.0f}" '
        'font-family="monospace" font-size="11">'
        f'<text x="4" y="{ROW - 3}">{escape(title)}</text>{"".join(rects)}</svg>\n'
    )


def write(raw: Path, svg: Path, title: str) -> None:
    svg.write_text(render(parse(raw.read_text()), title))
