"""What the Markdown editor talks to: the live preview, image uploads, the editor's guide, and
the preview of an entry's unsaved changes.

All of it is for signed-in staff who may edit entries; anyone else gets a 403 and nothing is
written (markdownx's own views answer anonymous requests and are not routed).

- `access.py`: who is an editor;
- `preview.py`: the live preview of one text, and the public page as unsaved forms would make it;
- `uploads.py`: images dropped into the editor, re-encoded so they cannot carry script;
- `guide.py`: the editor's guide, its examples rendered by the real renderer;
- `urls.py`: where the editor's requests go.
"""
