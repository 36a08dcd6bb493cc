//! `caremesh token rotate` against a real `caremesh` process: the old admin token gets 401
//! from the next request on a running node, and after a restart; the new one works; the
//! file stays owner-only; members' tokens are untouched.

use caremesh_e2e::Node;
use serde_json::json;

async fn peers_status(node: &Node, token: &str) -> anyhow::Result<u16> {
    Ok(node.get("/api/v1/peers", Some(token)).await?.0)
}

fn rotate(node: &Node) -> anyhow::Result<String> {
    let out = node.command(&["token", "rotate"])?;
    anyhow::ensure!(
        out.status.success(),
        "token rotate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = node.dir.join("admin.token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        anyhow::ensure!(mode == 0o600, "admin.token has mode {mode:o}");
    }
    Ok(std::fs::read_to_string(path)?.trim().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_admin_token_replaces_the_old_one_at_once_and_after_restarts()
-> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "tok", &[]).await?;
    let first = node.admin.clone();
    let maker = node
        .member(json!({"handle": "mk", "role": "maker"}))
        .await?;
    assert_eq!(peers_status(&node, &first).await?, 200);

    // On the running node.
    let second = rotate(&node)?;
    assert_ne!(second, first);
    assert_eq!(peers_status(&node, &first).await?, 401, "old token refused");
    assert_eq!(peers_status(&node, &second).await?, 200, "new token works");
    let (status, me) = node.get("/api/v1/me/proposals", Some(&maker)).await?;
    assert_eq!(status, 200, "a member's token is untouched: {me}");

    // After a kill -9 the old token stays refused (its hash was removed durably).
    node.kill9();
    node.start().await?;
    assert_eq!(peers_status(&node, &first).await?, 401);
    assert_eq!(peers_status(&node, &second).await?, 200);

    // On a stopped node: the start takes the file's token and drops the old one.
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    let third = rotate(&node)?;
    node.start().await?;
    assert_eq!(peers_status(&node, &second).await?, 401);
    assert_eq!(peers_status(&node, &first).await?, 401);
    assert_eq!(peers_status(&node, &third).await?, 200);
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    Ok(())
}
