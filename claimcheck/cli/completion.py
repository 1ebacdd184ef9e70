"""``claimcheck completion bash|zsh|fish``: print the shell's tab-completion script.

The script is click's own (:mod:`click.shell_completion`): it calls ``claimcheck`` back with
``_CLAIMCHECK_COMPLETE`` set, so completions follow the commands and options of the installed
version without regenerating anything.
"""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
INSTALL = {
    "bash": 'eval "$(claimcheck completion bash)"     # in ~/.bashrc',
    "zsh": 'eval "$(claimcheck completion zsh)"      # in ~/.zshrc',
    "fish": "claimcheck completion fish > ~/.config/fish/completions/claimcheck.fish",
}


@click.command()
@click.argument("shell", type=click.Choice(SHELLS, case_sensitive=False))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the tab-completion script for SHELL (bash, zsh or fish).

    Load it from your shell's start-up file, and commands, options and choices complete with Tab.

    \b
    Examples:
      eval "$(claimcheck completion bash)"     # add to ~/.bashrc
      eval "$(claimcheck completion zsh)"      # add to ~/.zshrc
      claimcheck completion fish > ~/.config/fish/completions/claimcheck.fish
    """
    from click.shell_completion import get_completion_class

    shell = shell.lower()
    cls = get_completion_class(shell)
    assert cls is not None  # every name in SHELLS is one click knows
    root = ctx.find_root().command
    script = cls(root, {}, "claimcheck", "_CLAIMCHECK_COMPLETE").source()
    click.echo(script)
