"""The MkDocs adapter: turns MkDocs events into calls on the gongkai core."""
