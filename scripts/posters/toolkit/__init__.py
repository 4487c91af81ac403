"""The drawing toolkit shared by every painter: canvas, type, scenery and the billing block."""
