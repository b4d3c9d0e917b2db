"""Asking the questions: the runner every answering page uses, a workshop's
board and consensus, where its participants agree, and what-if."""
