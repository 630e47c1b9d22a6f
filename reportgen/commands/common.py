"""What every command shares: errors turned into one message and an exit code, and the options
that several commands take."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class Stopped(BaseException):
    """A termination signal, raised where the process stands so that staged files are removed on
    the way out (as for Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: Any) -> None:
    # Stopping once is enough: a second signal would cut the clean-up short, or, arriving while
    # the interpreter shuts down (with Python's own handlers gone), kill the process outright.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Stopped(signum)


def handled(fn: F) -> F:
    """Turn the project's errors into one clear message and the documented exit code."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reportgen.errors import ReportgenError

        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop)
        try:
            return fn(*args, **kwargs)
        except Stopped as exc:
            from reportgen.output import Tally

            click.echo(f"已中断（收到信号 {exc.signum}）{Tally.when_stopped()}", err=True)
            sys.exit(128 + exc.signum)
        except ReportgenError as exc:
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("已中断", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug of ours: say so plainly; REPORTGEN_DEBUG=1 shows details
            loop = symlink_loop(exc)
            if loop is not None:  # the file became a link to itself while it was being read
                click.echo(loop_message(loop), err=True)
                sys.exit(2)
            if os.environ.get("REPORTGEN_DEBUG"):
                raise
            click.echo(f"内部错误（{type(exc).__name__}: {exc}）。设置 REPORTGEN_DEBUG=1 可查看详情。", err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


_LOOP = re.compile(r"Symlink loop from '(.*)'", re.DOTALL)


def symlink_loop(exc: BaseException) -> str | None:
    """The path of a symbolic link that leads back to itself (`ln -s a a`), when that is what
    `exc` is: pathlib's resolve() says so with a RuntimeError, not an OSError."""
    found = _LOOP.fullmatch(str(exc)) if type(exc) is RuntimeError else None
    return found.group(1) if found else None


def loop_message(path: str) -> str:
    return f"{path}: 错误: 无法读取：它是指向自身的符号链接（链接循环），请换回真正的文件"


def parse_formats(value: str) -> tuple[str, ...]:
    from reportgen.render.jobs import FORMATS

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"可选格式：{','.join(FORMATS)}（用逗号分隔）")
    return chosen


KIND_NAMES = {"报告": "报告", "report": "报告", "自评表": "自评表", "table": "自评表"}


def parse_kinds(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    names = [v.strip().lower() for v in value.replace("，", ",").split(",") if v.strip()]
    unknown = [n for n in names if n not in KIND_NAMES]
    if unknown or not names:
        raise click.BadParameter("可选：报告、自评表（或 report、table），用逗号分隔", param_hint="--kind")
    return tuple(dict.fromkeys(KIND_NAMES[n] for n in names))


template_option = click.option(
    "--template",
    "template_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="模板文件夹（优先于 YAML 中的「模板」和内置模板）",
)
