pub mod controls;
pub mod diagram;
pub mod events;
pub mod header;
pub mod lane;
pub mod lane_settings;
pub mod notes;
pub mod playback;
