"""Figure text on a phone (hingelib.legibility) and the chapters' show_figure."""

import io

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import hingelib as hl  # noqa: E402
from hingelib.legibility import saved_width_px  # noqa: E402


def labelled_figure(width, fontsize=10.0):
    fig, ax = plt.subplots(figsize=(width, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("margin", fontsize=fontsize + 2)
    ax.tick_params(labelsize=fontsize)
    return fig


@pytest.mark.parametrize("width", [3.0, 6.0, 10.0])
def test_saved_width_is_the_width_of_the_png_a_notebook_saves(width):
    fig = labelled_figure(width)
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight")  # as the inline backend saves it
    assert abs(saved_width_px(fig) - Image.open(png).size[0]) <= 1.0
    plt.close(fig)


def test_a_figure_narrower_than_the_column_keeps_its_text_size():
    fig = labelled_figure(3.0, fontsize=9.0)  # about 290 px wide, under the 342 px column
    assert hl.smallest_text_px(fig) == pytest.approx(9.0 * fig.dpi / 72)
    plt.close(fig)


def test_a_wide_figure_shrinks_with_its_text_into_the_phone_column():
    fig = labelled_figure(10.0, fontsize=10.0)
    expected = 10.0 * fig.dpi / 72 * hl.PHONE_COLUMN_PX / saved_width_px(fig)
    assert hl.smallest_text_px(fig) == pytest.approx(expected)
    assert hl.smallest_text_px(fig) < 6  # a ten-inch figure is unreadable on a phone
    plt.close(fig)


def test_tick_labels_outside_the_view_are_not_counted():
    fig = labelled_figure(3.0, fontsize=12.0)
    fig.axes[0].set_xticks([-5, 0, 1], ["hidden", "0", "1"], fontsize=4)
    fig.axes[0].set_xlim(-0.1, 1.1)
    fig.axes[0].xaxis.get_major_ticks()[1].label1.set_fontsize(12)
    fig.axes[0].xaxis.get_major_ticks()[2].label1.set_fontsize(12)
    assert hl.smallest_text_px(fig) == pytest.approx(12.0 * fig.dpi / 72)
    plt.close(fig)


def test_a_figure_without_text_is_refused_with_a_hint():
    fig = plt.figure(figsize=(2, 2))
    with pytest.raises(ValueError, match="no text to measure"):
        hl.smallest_text_px(fig)
    plt.close(fig)


def test_show_figure_refuses_text_too_small_for_a_phone_and_names_the_fix():
    fig = labelled_figure(10.0)
    with pytest.raises(ValueError, match="narrower figure than its 10.0 inches"):
        hl.show_figure(fig)
    plt.close(fig)


def test_show_figure_records_the_text_size_in_the_output_metadata(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda fig, **k: shown.append((fig, k)))
    fig = labelled_figure(4.0, fontsize=10.0)
    size = hl.smallest_text_px(fig)
    assert hl.show_figure(fig) is None  # nothing echoed as a cell's last line
    ((figure, kwargs),) = shown
    assert figure is fig and size >= hl.legibility.MIN_TEXT_PX
    assert kwargs["metadata"] == {"hingelib": {"smallest_text_px": round(size, 1)}}
    assert not plt.fignum_exists(fig.number)  # closed: the cell does not show it twice
