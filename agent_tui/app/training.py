"""Training in the palette (issue 15). In a live session, "Training" closes the session (as
ctrl+q does: everything masked, what is typed kept, sync stopped) and the CLI starts a training
session on its own store. In a training session: the trainee's progress, the trainer's report,
and the way back out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost


def training_commands(app: AppHost) -> Iterator[SystemCommand]:
    t = app.t
    if not getattr(app, "in_training", False):
        if app.config.agent.is_signed_in:
            yield SystemCommand(t("training_palette.training"), t("training_palette.training_tip"),
                                lambda: switch_to_training(app))
        return
    from screens.training_progress import TrainingProgressScreen
    from screens.training_report import TrainingReportScreen
    from screens.training_scenarios import TrainingScenariosScreen

    scenarios = app.scenarios  # type: ignore[attr-defined]  (the TrainingApp's)
    yield SystemCommand(t("training_palette.scenarios"), t("training_palette.scenarios_tip"),
                        lambda: app.push_screen(TrainingScenariosScreen(scenarios)))
    yield SystemCommand(t("training_palette.progress"), t("training_palette.progress_tip"),
                        lambda: app.push_screen(TrainingProgressScreen(
                            app.core_scenarios,  # type: ignore[attr-defined]
                            app.scenario_titles())))  # type: ignore[attr-defined]
    yield SystemCommand(t("training_palette.report"), t("training_palette.report_tip"),
                        lambda: app.push_screen(TrainingReportScreen()))


def switch_to_training(app: AppHost) -> None:
    """Leave the live session for a training one; never in the middle of a call."""
    if app.engine.call is not None:
        app.notify(app.t("training.finish_call_first"), severity="warning", timeout=8)
        return
    app.training_next = True  # type: ignore[attr-defined]  (the App's; the CLI reads it)
    app.leave()
