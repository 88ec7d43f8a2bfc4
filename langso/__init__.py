"""langso (làng số): digital-inclusion and poverty-reduction platform for Vietnamese communes."""
